package org.complainthub.channel.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * WeChat's flat {@code <xml><Name>value</Name>…</xml>} messages as a map. A DOCTYPE is refused outright, so no
 * external entity (XXE) and no entity expansion (billion laughs) can happen; WeChat never sends one. Elements nest
 * at most {@link #MAX_DEPTH} deep: reading the text of 50,000 nested elements would overflow the stack (a 500, found by
 * the hostile-input suite), and WeChat's messages are two deep.
 */
public final class SafeXml {

    static final int MAX_DEPTH = 16;
    private static final DocumentBuilderFactory FACTORY = factory();

    private SafeXml() {
    }

    /** The root's child elements by name (text content, CDATA unwrapped); {@link IllegalArgumentException} if not that. */
    public static Map<String, String> flat(byte[] xml) {
        Element root;
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(null);
            root = builder.parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed XML without a DOCTYPE: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.putIfAbsent(e.getTagName(), e.getTextContent());
            }
        }
        return out;
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe", e);
        }
        // the JDK parser's own limit (jdk.xml.maxElementDepth): refused while parsing, before any tree is walked
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(MAX_DEPTH));
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f;
    }
}
